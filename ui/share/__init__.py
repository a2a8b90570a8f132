"""The experiment model: what a lesson's link, a JSON file, a notebook and a comparison carry.

- :mod:`ui.share.fields`: the kinds of field a lesson declares (``PageSpec.experiment`` in the page
  registry), how each is written in a link and in a file, and checked;
- :mod:`ui.share.state`: an experiment in the session: read, written, put in the URL, taken from a
  link or a file (``bound`` gives a widget its key, default and URL binding);
- :mod:`ui.share.pin`: a pinned experiment A (Compare A/B) and its ``compare`` parameter.

The files are :mod:`ui.export`; the buttons that make and read them, the share tools, are
:mod:`ui.share_tools`. Nothing here imports either, nor the registry: this package sits below them.
"""
