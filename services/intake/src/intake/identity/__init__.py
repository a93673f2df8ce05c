"""The identity vault: patients, their identifiers, finding and erasing them."""
