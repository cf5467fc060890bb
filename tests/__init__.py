"""Test suite of autograd_nb (a package so that `tests.oracle` imports cleanly)."""
