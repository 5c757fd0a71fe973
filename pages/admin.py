"""Audit & retention page (under construction in this session)."""

import streamlit as st

st.title("Audit & retention")
st.info("This page is being built.")
