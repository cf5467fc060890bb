"""Views and in-place changes, against PyTorch: values, versions, grad_fn names, gradients and errors.

Each case is a small program run with ``torch`` bound to autograd_nb and to PyTorch; the repr of ``r`` (or
the error) and the warnings must be the same (``tests.oracle.run_program``).
"""
import pytest

import autograd_nb as nb
from tests.oracle import run_program

NAMES = "[None if n is None else n.name() for n, _ in {0}.grad_fn.next_functions]"

PROGRAMS = {
    # in place on a view: the base's history becomes CopySlices, the view's AsStridedBackward0
    "select_view_mul_": "x = torch.tensor([1., 2.], requires_grad=True); a = x * 2; s = a[0]; s.mul_(10)\n"
                        "a.sum().backward(); r = (a, s, x.grad, a._version, s._version, s._base is a)",
    "slice_view_mul_names": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; v.mul_(3)\n"
                            f"r = (a.grad_fn.name(), {NAMES.format('a')}, v.grad_fn.name(), {NAMES.format('v')})",
    "slice_view_backward_through_view": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; v.mul_(3)\n"
                                        "v.sum().backward(); r = x.grad",
    "view_exp_then_base_sum": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; v.exp_()\n"
                              "a.sum().backward(); r = x.grad",
    "view_of_view": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a.unsqueeze(1); w = v[0]; w.mul_(5)\n"
                    "r = (a, a.grad_fn.name(), v.grad_fn.name(), w.grad_fn.name()); a.sum().backward(); r += (x.grad,)",
    "view_value_requires_grad_base_not": "a = torch.ones(3); v = a[0]; w = torch.ones((), requires_grad=True); v.mul_(w)\n"
                                         f"r = (a.requires_grad, a.grad_fn.name(), {NAMES.format('a')}, v.grad_fn.name())\n"
                                         "a.sum().backward(); r += (w.grad,)",
    "view_retain_grad_on_base": "x = torch.ones(3, requires_grad=True); a = x * 2; a.retain_grad(); v = a[1:]; v.mul_(3)\n"
                                "a.sum().backward(); r = (a.grad, a.retains_grad)",
    # in place on the base: the view's node is made again from the base's new history
    "base_changed_view_backward": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; a.mul_(3)\n"
                                  "r = v.grad_fn.name(); v.sum().backward(); r = (r, x.grad)",
    "leaf_changed_under_no_grad": "x = torch.ones(3, requires_grad=True); v = x[0]\n"
                                  "with torch.no_grad():\n    x.add_(1)\n"
                                  f"r = (v.grad_fn.name(), {NAMES.format('v')}, v._version); (v * 2).backward(); r += (x.grad,)",
    "view_changed_under_no_grad": "x = torch.ones(3, requires_grad=True); a = x * 1; v = a[0]\n"
                                  "with torch.no_grad():\n    v.add_(1)\n"
                                  "r = (v.grad_fn.name(), a.grad_fn.name()); a.sum().backward(); r += (x.grad,)",
    "other_view_changed": "x = torch.ones(2, requires_grad=True); e = x * 1; f = e.view(2); g = e.view(2); f.add_(1)\n"
                          "r = (g.grad_fn.name(), e.grad_fn.name(), g)",
    # saved tensors see in-place changes made through a view
    "squeeze_view_modifies_saved": "x = torch.tensor([1., 2.], requires_grad=True); a = x * 2; y = a.sin()\n"
                                   "a.squeeze().mul_(2); y.sum().backward()",
    "saved_output_of_inplace_view_op": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; v.exp_(); v.mul_(2)\n"
                                       "a.sum().backward()",
    "view_exp_not_saved_base": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]; y = v.exp(); a.mul_(3)\n"
                               "y.sum().backward(); r = x.grad",
    # views and requires_grad
    "view_made_under_no_grad": "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    v = x[0:1]\n"
                               "r = (v.requires_grad, v.is_leaf, v.grad_fn); y = (v * 2).sum()\n"
                               f"r += ({NAMES.format('y')},); y.backward(); r += (x.grad,)",
    "view_made_under_no_grad_inplace": "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    v = x[0:1]\n"
                                       "v.mul_(2)",
    "view_before_requires_grad": "b = torch.tensor([1., 2.]); v = b[0]; b.requires_grad_(); r = (v.requires_grad, v.grad_fn, v.is_leaf)",
    "select_is_a_view": "a = torch.tensor([[1., 2.], [3., 4.]]); v = a[0, 1]; v.add_(10); r = (a, v._base is a, a._version)",
    "squeeze_nothing_is_a_view": "x = torch.ones(2, requires_grad=True); a = x * 1; s = a.squeeze(); r = (s._base is a, s.grad_fn)",
    "alias_of_0d": "x = torch.ones((), requires_grad=True); a = x * 1; s = a[()]; r = (s._base is a, s.grad_fn)",
    "detach_view_in_place": "x = torch.ones(2, requires_grad=True); a = x * 2; v = a[0]; v.detach_()",
    # refusals and overlaps, with PyTorch's messages
    "leaf_in_place": "x = torch.ones(2, requires_grad=True); x.add_(1)",
    "view_of_leaf_in_place": "x = torch.ones(2, requires_grad=True); x[0].add_(1)",
    "expand_zero_": "r = torch.ones(1).expand(3).zero_()",
    "expand_fill_": "r = torch.ones(1).expand(3).fill_(2.)",
    "expand_mul_": "torch.ones(1).expand(3).mul_(2)",
    "expand_copy_": "torch.ones(1).expand(3).copy_(torch.ones(3))",
    "partial_overlap_add_": "a = torch.arange(4.); a[1:].add_(a[:3])",
    "same_memory_add_": "a = torch.arange(4.); a.add_(a); r = a",
    "transposed_view_add_": "a = torch.arange(6.).view(2, 3); a.t().add_(1); r = a",
    "copy_between_halves": "a = torch.arange(4.); a[:2].copy_(a[2:]); r = a",
    # retain_grad and in-place on the same tensor
    "retain_grad_then_inplace": "x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; y.retain_grad(); y.mul_(3)\n"
                                "(y * y).sum().backward(); r = (y.grad, x.grad)",
    "second_backward_through_copyslices": "x = torch.ones(3, requires_grad=True); a = x * 2; v = a[1:]\n"
                                          "v.mul_(x[1:]); a.sum().backward(); a.sum().backward()",
    "create_graph_through_copyslices": "x = torch.tensor([1., 2., 3.], requires_grad=True); a = x * 1; v = a[1:]\n"
                                       "v.mul_(x[1:]); g, = torch.autograd.grad(a.sum(), x, create_graph=True)\n"
                                       "g.sum().backward(); r = (g, x.grad)",
}

# __setitem__: the basic indices give a view (or the tensor itself), then index_put_, fill_ or copy_ on it
TREE = ("def tree(n, depth=3):\n"
        "    return None if n is None else (n.name(),) if depth == 0 else "
        "(n.name(), [tree(m, depth - 1) for m, _ in n.next_functions])\n")
SETITEM = {
    "slice_from_one_element": "x = torch.ones(3, requires_grad=True); y = x * 1; w = torch.ones(1, requires_grad=True); y[1:] = w",
    "whole_from_one_element": "x = torch.ones(3, requires_grad=True); y = x * 1; w = torch.ones(1, requires_grad=True); y[:] = w",
    "whole_from_a_row": "x = torch.ones(2, 3, requires_grad=True); y = x * 1; w = torch.ones(3, requires_grad=True); y[:] = w",
    "row_from_leading_ones": "x = torch.ones(2, 3, requires_grad=True); y = x * 1; w = torch.ones(1, 1, 3, requires_grad=True); y[0] = w",
    "whole_same_shape": "x = torch.ones(3, requires_grad=True); y = x * 1; w = torch.ones(3, requires_grad=True); y[:] = w",
    "slice_from_0d": "x = torch.ones(3, requires_grad=True); y = x * 1; w = torch.ones((), requires_grad=True); y[1:] = w",
    "index_put_rows": "x = torch.ones(2, 3, requires_grad=True); y = x * 1; w = torch.ones(1, 3, requires_grad=True); y[[0, 1]] = w",
    "select_from_number": "x = torch.ones(3, requires_grad=True); y = x * 1; y[0] = 5.",
    "mask_from_number": "x = torch.ones(3, requires_grad=True); y = x * 1; y[y > 0.5] = 0.",
    "select_then_index_put": "x = torch.ones(2, 3, requires_grad=True); y = x * 1; w = torch.ones(2, requires_grad=True); y[0, [0, 2]] = w",
    "whole_from_number": "x = torch.ones(3, requires_grad=True); y = x * 1; y[...] = 5.",
}
for _name, _code in SETITEM.items():
    PROGRAMS[f"setitem_{_name}"] = (TREE + _code + "\ny.sum().backward()\n"
                                    "r = (tree(y.grad_fn), x.grad, None if 'w' not in dir() else w.grad)")
PROGRAMS.update({
    "setitem_index_put_dtype": "x = torch.zeros(3); x[[0, 1]] = torch.ones(2, dtype=torch.float64)",
    "setitem_copy_casts": "x = torch.zeros(3); x[0:2] = torch.ones(2, dtype=torch.float64); r = x",
    "setitem_int_from_float": "x = torch.zeros(3, dtype=torch.int64); x[0] = 2.7; x[[1]] = 3.9; r = x",
    "setitem_repeated_index": "x = torch.zeros(3); x[[0, 0]] = torch.tensor([1., 2.]); r = x",
    "setitem_out_of_bounds": "x = torch.ones(3); x[5] = 1",
    "setitem_index_out_of_bounds": "x = torch.ones(3); x[[5]] = 1.",
    "setitem_shape_mismatch": "x = torch.ones(3); x[0:2] = torch.ones(3)",
    "setitem_leaf_basic": "x = torch.ones(3, requires_grad=True); x[0] = 1.",
    "setitem_leaf_advanced": "x = torch.ones(3, requires_grad=True); x[[0]] = 1.",
})


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_pytorch(name, torch):
    code = PROGRAMS[name]
    assert run_program(nb, code) == run_program(torch, code)
