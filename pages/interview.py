"""Interview mode page (under construction in this session)."""

import streamlit as st

st.title("Interview mode")
st.info("This page is being built.")
