"""Roles & comparison page (under construction in this session)."""

import streamlit as st

st.title("Roles & comparison")
st.info("This page is being built.")
