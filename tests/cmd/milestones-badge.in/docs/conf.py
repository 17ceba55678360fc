# Minimal Sphinx configuration for the example docs tree.
project = "UH IaaS"
extensions = []
