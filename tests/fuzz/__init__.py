"""Differential fuzzing of autograd_nb against PyTorch 2.13.

``generator`` writes random programs as Python source over the name ``torch``; ``worker`` runs one in a
child process under either library and records the state after every statement; ``compare`` lists the
differences between two such records; ``pool`` keeps the child processes alive (and replaces the ones
PyTorch kills); ``minimise`` shrinks a failing program; ``known`` lists the differences that are not
autograd_nb's to fix. ``python -m tests.fuzz --help`` runs it all.
"""
