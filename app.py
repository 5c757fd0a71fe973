"""Interview Kit: the Streamlit entry point (``streamlit run app.py``)."""

import streamlit as st

st.set_page_config(page_title="Interview Kit", page_icon=":material/assignment:", layout="wide")

page = st.navigation(
    [st.Page("pages/generate.py", title="Generate", icon=":material/auto_awesome:", default=True),
     st.Page("pages/prompt_lab.py", title="Prompt Lab", icon=":material/science:"),
     st.Page("pages/history.py", title="History", icon=":material/history:"),
     st.Page("pages/batch.py", title="Batch", icon=":material/stacks:"),
     st.Page("pages/roles.py", title="Roles & comparison", icon=":material/groups:"),
     st.Page("pages/interview.py", title="Interview mode", icon=":material/record_voice_over:"),
     st.Page("pages/admin.py", title="Audit & retention", icon=":material/admin_panel_settings:")],
    position="sidebar",
)
page.run()
