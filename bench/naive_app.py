"""The baseline: the naive page every tutorial shows, against the same server.

One ``st.write_stream(openai_stream)``: every token becomes an update that
re-sends the whole text so far, and the browser re-renders all of it.
Run by ``bench/render.py`` as ``streamlit run bench/naive_app.py``.
"""

from __future__ import annotations

import os

import streamlit as st
from openai import OpenAI

st.title("Naive stream")
if st.button("Generate", key="generate"):
    client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"])
    stream = client.chat.completions.create(
        model=os.environ.get("INTERVIEWKIT_MODEL", "mock-model"),
        messages=[{"role": "user", "content": "Write an interview kit."}], stream=True)
    st.write_stream(stream)
    st.caption("Naive stream finished")
