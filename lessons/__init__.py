"""Lesson packages: a lesson's sections when its page would not fit in one file (``pages/`` holds the
page files Streamlit registers; a page imports its package from here).

Above the shared ``ui/`` (the kit, the components, the experiment model, the registry), which never
imports a lesson package (``tests/test_layout.py``).

- :mod:`lessons.word2vec`: the Word2Vec lab's sections (``pages/word2vec.py``).
"""
