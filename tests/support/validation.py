"""A helper for tests of model rules (`clean()`): the errors `full_clean()` raises."""

import pytest
from django.core.exceptions import ValidationError


def clean_errors(row) -> dict:
    """The field -> messages `row.full_clean()` refuses `row` with (fails if it accepts it)."""
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    return caught.value.message_dict
