"""Streamlit helpers shared by the pages: translation, matrix editor, heatmap, step cards.

Pages import from here and from :mod:`attention_core`; nothing here does attention math.
"""
