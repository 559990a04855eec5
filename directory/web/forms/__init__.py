"""Forms of the site's pages: the listing form organisers and moderators fill in."""

from .errors import error_links
from .listing import ListingForm, SubmitForm
from .options import ListingChoices, listing_choices

__all__ = ["ListingChoices", "ListingForm", "SubmitForm", "error_links", "listing_choices"]
