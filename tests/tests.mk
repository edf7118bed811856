# tests: rules for this module (see the top Makefile).
