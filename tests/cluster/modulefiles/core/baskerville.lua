-- mini-Baskerville stand-in for Baskerville's site module (tests/cluster/minibask installs it)
help([[Baskerville site environment (mini-Baskerville stand-in).]])
whatis("Description: Baskerville site environment")
setenv("BASK_SITE", "mini-baskerville")
