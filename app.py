"""Interview Kit: the Streamlit entry point (``streamlit run app.py``)."""

import streamlit as st

st.set_page_config(page_title="Interview Kit", page_icon=":material/assignment:", layout="wide")

page = st.navigation(
    [st.Page("pages/generate.py", title="Generate", icon=":material/auto_awesome:", default=True),
     st.Page("pages/prompt_lab.py", title="Prompt Lab", icon=":material/science:"),
     st.Page("pages/history.py", title="History", icon=":material/history:")],
    position="sidebar",
)
page.run()
