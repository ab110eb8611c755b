-- An entity's names and countries are found by the entity: the indexes of 001 also held each row's
-- record key (the text "gb-psc:..." or "lei:...", 20-40 bytes), which doubled their size (a UK PSC
-- snapshot writes about three such rows per line; the indexes were 7% of its case database) and
-- the work of every insert. An entity has a few rows, so the delete of one record's rows
-- (store/writer.ts, entity_id = ? AND record_key = ?) reads them all by the entity and filters.
DROP INDEX entity_names_entity;
CREATE INDEX entity_names_entity ON entity_names(entity_id);
DROP INDEX entity_countries_entity;
CREATE INDEX entity_countries_entity ON entity_countries(entity_id);
