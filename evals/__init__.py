"""Evaluation of the detector and the stance model on labelled data (`factbot eval ...`).

Outside the runtime package `bot`: the running bot never imports it (the CLI does, for `factbot
eval`, when asked). Shipped with it, so the commands work where the bot is installed.

- `evals.cases`: `factbot eval cases`, replaying a cases/distractors set through the real pipeline;
- `evals.statements`: `factbot eval statements`, who-said-what accuracy on labelled items;
- `evals.stance`: `factbot eval fnc1|emergent`, the stance model on public test splits, and the
  readers of those data sets (also used by `training/`).
"""
