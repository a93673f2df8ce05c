"""Saathi shared package: contracts and the reliable event backbone."""
