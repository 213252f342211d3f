package devidp

// DemoUsers returns the demo users of the zero-setup run (design/API.md): the ministry,
// the VVSG coordinator, an analyst, the partner tool (a machine client, for
// client_credentials) and one staff member per demo municipality, whose login is the
// municipality's name in lower case without spaces or hyphens and whose role is
// "municipality:<NIS code>". People and addresses are invented (.example domains).
// Every call returns a fresh slice that the caller may modify.
func DemoUsers() []User {
	return []User{
		{Login: "ministry", Name: "Sofie Wouters", Email: "sofie.wouters@vlaanderen.example", Roles: []string{"ministry"}},
		{Login: "vvsg", Name: "VVSG coördinator", Email: "coordinator@vvsg.example", Roles: []string{"coordinator"}},
		{Login: "analyst", Name: "Pieter Maes", Email: "pieter.maes@vlaanderen.example", Roles: []string{"analyst"}},
		{Login: "partner", Name: "Partnertool (demo)", Email: "api@partnertool.example", Roles: []string{"partner"}},
		municipal("mechelen", "12025", "An Peeters", "an.peeters"),
		municipal("leuven", "24062", "Tom Janssens", "tom.janssens"),
		municipal("vilvoorde", "23088", "Els Willems", "els.willems"),
		municipal("balen", "13003", "Jan Jacobs", "jan.jacobs"),
		municipal("ronse", "45041", "Lies Mertens", "lies.mertens"),
		municipal("roeselare", "36015", "Bart Vermeulen", "bart.vermeulen"),
		municipal("kortrijk", "34022", "Katrien Desmet", "katrien.desmet"),
		municipal("oudturnhout", "13031", "Koen Goossens", "koen.goossens"),
		municipal("oostende", "35013", "Nathalie Dewulf", "nathalie.dewulf"),
		municipal("beerse", "13004", "Wim Van den Broeck", "wim.vandenbroeck"),
		municipal("liedekerke", "23044", "Sarah De Smet", "sarah.desmet"),
		municipal("deinze", "44083", "Jens De Clercq", "jens.declercq"),
		municipal("brugge", "31005", "Hilde Claeys", "hilde.claeys"),
	}
}

// municipal builds a municipality staff member; the mail domain is the login.
func municipal(login, nis, name, mailbox string) User {
	return User{
		Login: login,
		Name:  name,
		Email: mailbox + "@" + login + ".example",
		Roles: []string{"municipality:" + nis},
	}
}
