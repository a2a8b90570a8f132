"""The Attention Lab's development tools, shared by the tests and the benchmarks (never by the app).

- :mod:`.env`: the checkout's root, ``in_ci()``;
- :mod:`.server`: one launcher for ``streamlit run`` and ``deploy/classroom.sh``, with the one health poll;
- :mod:`.pg`: a throwaway PostgreSQL cluster (Debian's) for the class store;
- :mod:`.stats`: percentiles and medians for the benchmarks' tables;
- :mod:`.plotly_data`: plotly's typed arrays back to numbers;
- :mod:`.browser`: driving the app in Debian's Chromium with Playwright;
- :mod:`.protocol`: a headless Streamlit client (the websocket protocol, one browser tab each);
- :mod:`.loadtest`: the classroom scenario on that client (students, changes, reports).

Installed with the project (``pip install -e .``); tests and benchmarks import it like any package.
"""
