"""Import listings from, and export them to, CSV, Open Referral HSDS, Meeting Guide and iCalendar.

Importing: ``pipeline.run_import(session, file_or_url, ImportOptions(...))`` returns an
``ImportReport``. Each format's reader (``csv_format``, ``hsds``, ``hsds_tables``,
``meeting_guide``) turns its records into ``records.ListingRecord``; the shared core checks
them (``validate``, ``places``, ``terms``), writes them in one transaction (``upsert``,
``duplicates``) and reports each record's outcome (``report``).

Exporting: ``export.export_listings(format, groups, ExportContext(...))`` returns bytes;
``export.published_ids`` and ``export.search_ids`` choose the listings, ``load_groups`` loads
them. Exporters show public fields only (``public``).
"""
