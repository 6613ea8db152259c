"""The citizen assistant: the procedure catalogue and question answering over it."""
