"""The Word2Vec lab's sections (``pages/word2vec.py`` draws them in order):

- :mod:`.state`: presets, training parameters, defaults (session state)
- :mod:`.corpus`: 1 · the sentences and their tokens
- :mod:`.training`: 2 · the parameters, training with progress and stop, did it learn?
- :mod:`.space`: 3 · watch it learn (loss and pairs per epoch, the space epoch by epoch), the cosine
  heatmap and the nearest neighbours
- :mod:`.attention`: 4 · attention with the learned vectors (the live view); :mod:`.single_key`: the
  notebook's single-key example under it
- :mod:`.charts`: the figures
"""
