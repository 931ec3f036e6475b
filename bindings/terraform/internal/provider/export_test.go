package provider

// LibraryEntry is an entry of the library's schema as the provider reads it,
// for the external tests.
type LibraryEntry = libraryEntry

// LibraryConfig and LibraryQuery are the library's config keys and query
// arguments as the provider reads them.
func LibraryConfig() []LibraryEntry { return library().Config }
func LibraryQuery() []LibraryEntry  { return library().Query }
