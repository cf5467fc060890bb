"""``Adam``: gradient descent with a per-weight step size from running averages of g and g².

For each parameter θ with gradient g, at step t = 1, 2, ... (γ = lr, λ = weight_decay):

    g ← g + λ θ                              (weight decay; with decoupled_weight_decay, AdamW's
                                              θ ← θ (1 - γλ) instead)
    m ← β₁ m + (1 - β₁) g                    (first moment: a moving average of g, m₀ = 0)
    v ← β₂ v + (1 - β₂) g²                   (second moment: a moving average of g², v₀ = 0)
    vmax ← max(vmax, v)                      (amsgrad only, elementwise; vmax then replaces v below)
    m̂ = m / (1 - β₁ᵗ),   v̂ = v / (1 - β₂ᵗ)   (bias correction: m and v start at 0, so early averages
                                              are too small by exactly these factors)
    θ ← θ - γ m̂ / (√v̂ + ε)

PyTorch computes the last line as θ - (γ / (1 - β₁ᵗ)) · m / (√v / √(1 - β₂ᵗ) + ε), and so do we, so
the results agree with PyTorch's up to rounding. PyTorch: ``torch.optim.Adam`` (its single-tensor
implementation, the one it uses on the CPU).
"""
from .. import creation
from ..grad_mode import no_grad
from ..ops import stack
from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), optionally AMSGrad and AdamW-style decoupled weight decay."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if differentiable:
            raise NotImplementedError("autograd_nb's optimizers do not support differentiable=True")
        # foreach, capturable and fused choose between PyTorch's faster implementations of the same
        # arithmetic; they are kept so param_groups and the repr read as PyTorch's, and have no effect here.
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            for p in group["params"]:
                if p.grad is None:  # no gradient (unused, frozen, or zero_grad set it to None): skip
                    continue
                g = -p.grad if group["maximize"] else p.grad

                state = self.state[p]
                if len(state) == 0:  # first step for this parameter: the averages start at zero
                    state["step"] = creation.tensor(0.0)
                    state["exp_avg"] = creation.zeros_like(p)
                    state["exp_avg_sq"] = creation.zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = creation.zeros_like(p)
                m, v = state["exp_avg"], state["exp_avg_sq"]
                state["step"] += 1
                t = state["step"].item()

                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        p.mul_(1 - lr * weight_decay)  # AdamW: shrink θ directly
                    else:
                        g = g.add(p, alpha=weight_decay)  # g + λθ: a new tensor, p.grad is left alone

                # m = β₁m + (1-β₁)g, written m + (1-β₁)(g - m) as PyTorch's lerp_ computes it
                m.add_((g - m) * (1 - beta1))
                # v = β₂v + (1-β₂)g²
                v.mul_(beta2).add_(g * g * (1 - beta2))

                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                step_size = lr / bias_correction1

                if amsgrad:
                    v_max = state["max_exp_avg_sq"]
                    v_max.copy_(stack([v_max, v]).max(dim=0).values)  # elementwise max (torch.maximum)
                    v = v_max
                denom = v.sqrt() / bias_correction2**0.5 + eps  # √v̂ + ε
                p.add_(m / denom, alpha=-step_size)  # θ = θ - γ m̂ / (√v̂ + ε)
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): θ ← θ(1 - γλ) before the Adam step,
    instead of adding λθ to the gradient; ``weight_decay`` defaults to 0.01. PyTorch: ``torch.optim.AdamW``."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
