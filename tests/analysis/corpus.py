"""A small corpus written for the analysis tests: Armenia and Azerbaijan move from talks to threats to
attacks over seven weeks (invented reports, not real events)."""

from __future__ import annotations

# (published, outlet, text); weeks 2025-W10 to W13 are quiet talks, W14 threats, W15-W16 attacks.
ARTICLES: list[tuple[str, str, str]] = [
    ("2025-03-04", "Test Wire",
     "Yerevan, March 4 (Test Wire) - Armenian and Azerbaijani foreign ministers held talks in Geneva on "
     "Tuesday on a border agreement. The two sides agreed to meet again next month."),
    ("2025-03-11", "Caspian Daily",
     "Baku, March 11 (Caspian Daily) - Azerbaijan and Armenia held a new round of negotiations on the "
     "border on Tuesday. Officials from both countries praised the constructive talks."),
    ("2025-03-18", "Test Wire",
     "Yerevan, March 18 (Test Wire) - Armenian Prime Minister Nikol Pashinyan met Azerbaijani President "
     "Ilham Aliyev in Brussels on Tuesday to discuss the peace treaty."),
    ("2025-03-25", "Caspian Daily",
     "Baku, March 25 (Caspian Daily) - Armenian and Azerbaijani officials held talks in Vienna on Tuesday "
     "about an exchange of prisoners."),
    ("2025-04-01", "Caspian Daily",
     "Baku, April 1 (Caspian Daily) - Azerbaijan threatened on Tuesday to use force against Armenia if "
     "Armenian troops do not leave the disputed border villages. Armenia accused Azerbaijan of preparing "
     "an attack."),
    ("2025-04-02", "Test Wire",
     "Yerevan, April 2 (Test Wire) - Azerbaijani President Ilham Aliyev warned Armenia of military action "
     "on Wednesday, saying his government would not accept any delay in the withdrawal of the troops. "
     "Armenian officials rejected the demand."),
    ("2025-04-08", "Test Wire",
     "Yerevan, April 8 (Test Wire) - Azerbaijani forces shelled Armenian villages near the border on "
     "Tuesday, killing three civilians. Armenian troops fired back at Azerbaijani positions."),
    ("2025-04-09", "Caspian Daily",
     "Baku, April 9 (Caspian Daily) - Azerbaijani artillery struck Armenian army positions on Wednesday. "
     "Armenian forces attacked Azerbaijani troops near Jermuk."),
    ("2025-04-15", "Test Wire",
     "Yerevan, April 15 (Test Wire) - Azerbaijani drones attacked Armenian positions on Monday, the "
     "Armenian defence ministry said."),
]
