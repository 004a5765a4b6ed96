"""Running a partnership: setting one up and its administration."""
