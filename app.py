"""Interview Kit: the Streamlit entry point (``streamlit run app.py``).

Every page runs from here, after the sign-in gate (``interviewkit.ui.auth``): with
``[auth]`` in secrets.toml nothing of any page, deep link or download is shown to
a visitor who is not signed in and allowed.
"""

import streamlit as st

from interviewkit.ui import auth, resources

st.set_page_config(page_title="Interview Kit", page_icon=":material/assignment:", layout="wide")

PAGES = (
    [st.Page("pages/generate.py", title="Generate", icon=":material/auto_awesome:", default=True),
     st.Page("pages/prompt_lab.py", title="Prompt Lab", icon=":material/science:"),
     st.Page("pages/history.py", title="History", icon=":material/history:"),
     st.Page("pages/batch.py", title="Batch", icon=":material/stacks:"),
     st.Page("pages/roles.py", title="Roles & comparison", icon=":material/groups:"),
     st.Page("pages/interview.py", title="Interview mode", icon=":material/record_voice_over:"),
     st.Page("pages/admin.py", title="Audit & retention", icon=":material/admin_panel_settings:")]
)
auth.gate(resources.settings_or_stop(), PAGES)  # stops here unless signed in and allowed
st.navigation(PAGES, position="sidebar").run()
