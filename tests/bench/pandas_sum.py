#!/usr/bin/python3
"""The pandas anchor of issue 5: read a dmon log the way one would in a notebook, sum the sm column.

Prints the sum and the CPU seconds spent in read_csv + sum (interpreter start and import excluded).
"""
import sys
import time

import pandas as pd

start = time.process_time()
frame = pd.read_csv(sys.argv[1], sep=r"\s+", comment="#", header=None)
total = frame[6].sum()  # date time gpu pwr gtemp mtemp sm ...
elapsed = time.process_time() - start
print(f"{total:.0f} {elapsed:.3f}")
