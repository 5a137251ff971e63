"""Reference library for the worked solutions of Deep Learning Seminar 5 (SS2023).

One module per assignment, plain functions over float64 numpy arrays:

- ``seminar.receptive_field``: receptive fields of conv/pool stacks (assignment 1);
- ``seminar.trust_region`` and ``seminar.attacks``: trust-region steps and
  FGSM (assignment 2);
- ``seminar.weight_norm``: weight normalization with weight decay (assignment 3);
- ``seminar.mirror_descent``: mirror descent on a box (assignment 4);
- ``seminar.plotting``: the figure style every page shares.
"""

__version__ = "1.0.0"
