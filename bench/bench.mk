# bench: rules for this module (see the top Makefile).
