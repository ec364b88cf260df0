"""The Streamlit dashboard (``monev serve``): ``app.py`` is the entry script, ``app_pages/`` hold the UI
of each page, ``components/`` shared UI pieces, ``data.py`` the one data-access module, ``scope.py`` who
is looking and what they may see."""
