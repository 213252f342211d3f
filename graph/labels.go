package graph

import (
	"wisselaar/graph/model"
	"wisselaar/internal/labels"
)

// language is the language of a label argument: Dutch unless English is
// asked.
func language(lang *model.Language) labels.Language {
	if lang != nil && *lang == model.LanguageEn {
		return labels.EN
	}
	return labels.NL
}
