"""The command line: argument parsing and printing only; everything below returns data."""
