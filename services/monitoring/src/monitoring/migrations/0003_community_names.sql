-- What people call each setting's Community of Schools, as the settings registry says.
ALTER TABLE settings ADD COLUMN community_name text;
