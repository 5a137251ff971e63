"""Reference library for the worked solutions of Deep Learning Seminar 5 (SS2023).

One module per assignment, plain functions over float64 numpy arrays:

- :mod:`seminar.receptive_field`: receptive fields of conv/pool stacks (assignment 1);
- :mod:`seminar.trust_region` and :mod:`seminar.attacks`: trust-region steps and
  FGSM, attacking the digits classifier of :mod:`seminar.classifier` (assignment 2);
- :mod:`seminar.weight_norm`: weight normalization with weight decay (assignment 3);
- :mod:`seminar.mirror_descent`: mirror descent on a box (assignment 4);
- :mod:`seminar.plotting`: the figure style every page shares.
"""

__version__ = "1.0.0"
