"""``python -m nn`` runs the demo (``nn/demo.py``); ``python -m nn --help`` lists its options."""

from nn.demo import main

if __name__ == "__main__":
    main()
