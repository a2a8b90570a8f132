"""A live class: join by code, the teacher paces, the class predicts, everyone sees the reveal.

- :mod:`.store`: the shared state in a real database (SQLAlchemy; no Streamlit).
"""
