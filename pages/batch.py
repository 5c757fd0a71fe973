"""Batch page (under construction in this session)."""

import streamlit as st

st.title("Batch")
st.info("This page is being built.")
