"""Browser tests: the console in Debian's headless Chromium, driven by Playwright."""
