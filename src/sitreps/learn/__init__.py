"""Learned components that a user trains on their own labelled data (``sitreps train``).

Training needs scikit-learn (the ``train`` extra); a trained model is plain JSON and a NumPy
``.npz`` of arrays, read with ``allow_pickle=False`` and applied with NumPy alone, so loading a
model from an untrusted folder runs no code from it.
"""
