-- Prompt-file IDs are never reused (issue 14, finding 6). SQLite gives a new
-- row the highest ID + 1, so deleting the highest file handed its ID to the
-- next upload: a settings form still open on the old file would then save
-- the greeting or a menu pointing at the new one. Each ID deleted raises a
-- high-water mark, and uploads take their ID above both it and every
-- existing file (`records::audio::insert`).
CREATE TABLE id_high_water (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT INTO id_high_water (name, last)
    SELECT 'audio_files', COALESCE(MAX(id), 0) FROM audio_files;

CREATE TRIGGER audio_files_high_water AFTER DELETE ON audio_files
BEGIN
    UPDATE id_high_water SET last = MAX(last, OLD.id) WHERE name = 'audio_files';
END;
