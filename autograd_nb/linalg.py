"""``torch.linalg``: the vector norm (and ``linalg.norm`` where it means one).

Matrix norms other than Frobenius's (the nuclear norm, the spectral norm, the max row or column sum)
are not here: see the README's differences.
"""
from .ops.norm import vector_norm


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """The 2-norm of all elements (``ord=None`` or ``"fro"``), or a vector norm of order ``ord`` over one dim
    or a 1-d tensor. PyTorch: ``torch.linalg.norm``."""
    if ord is None or ord == "fro":
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if isinstance(dim, int) or (dim is None and A.dim() == 1):
        return vector_norm(A, ord, dim, keepdim, dtype=dtype)
    raise NotImplementedError(f"autograd_nb has no matrix norm of order {ord!r}: use linalg.vector_norm, or "
                              "PyTorch's linalg.matrix_norm")


__all__ = ["norm", "vector_norm"]
