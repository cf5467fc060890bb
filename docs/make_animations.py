"""Write the README's two animations, docs/forward.gif and docs/backward.gif, with the package itself
(and docs/forward.zh.gif, the first one in Chinese, for README.zh-CN.md).

    python docs/make_animations.py

The forward one is the graph builder's program (lesson 02), one frame per statement; the backward one
replays the backward pass of the same program, one frame per engine step. The same package writes the
same files, so run this again whenever the pictures' look changes.
"""
import pathlib

import autograd_nb as torch
from autograd_nb.widgets.animate import animate_backward, animate_forward

HERE = pathlib.Path(__file__).resolve().parent


def main():
    animate_forward(None, HERE / "forward.gif")
    animate_forward(None, HERE / "forward.zh.gif", language="zh")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    w = torch.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    z = y.exp()
    loss = z.sum()
    animate_backward(loss, HERE / "backward.gif", params={"x": x, "w": w, "y": y, "z": z, "loss": loss})


if __name__ == "__main__":
    main()
