# mini-Baskerville stand-in for LLaMA-Factory's src/train.py. It is never executed: the venv's
# `accelerate` stand-in emulates the training run it would start (tests/cluster/standins/accelerate).
from llamafactory.train.tuner import run_exp


def main():
    run_exp()


if __name__ == "__main__":
    main()
