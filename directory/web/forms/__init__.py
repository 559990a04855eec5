"""Forms of the site's pages: the listing form organisers and moderators fill in."""

from .listing import ListingForm, SubmitForm
from .options import ListingChoices, listing_choices

__all__ = ["ListingChoices", "ListingForm", "SubmitForm", "listing_choices"]
