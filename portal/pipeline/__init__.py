"""Conversion of department tables into standard datasets: recipes, normalisers, outputs."""

from portal.pipeline.convert import Conversion, ConversionRejected, convert
from portal.pipeline.recipe import Recipe, RecipeInvalid
from portal.pipeline.recipe import load as load_recipe

__all__ = ["Conversion", "ConversionRejected", "Recipe", "RecipeInvalid", "convert", "load_recipe"]
