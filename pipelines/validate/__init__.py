"""Data validation with Great Expectations: suites in code, quarantine and
warnings with Bahasa Indonesia messages, the quality report (`monev check`)."""
