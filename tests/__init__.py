"""The tests: core (pytest + hypothesis), pages (AppTest), browser/ (Playwright), classroom/ (load, failover)."""
