-- mini-Baskerville stand-in: the live application stack. Like the real one, the application modules
-- (PyTorch/...) only become visible once this is loaded.
help([[Baskerville live application stack (mini-Baskerville stand-in).]])
whatis("Description: Baskerville live application stack")
prepend_path("MODULEPATH", "@MINIBASK_STATE@/modules/live")
