import Foundation

/// The bundled demo: a customer-support assistant for a fictional app ("Northwind Notes"), 20 account and login
/// questions, each with a gold answer and two answers, from a "base" model and a "tuned" one. Written by the
/// blindreview team for this demo; the tuned answers are usually, not always, better.
public enum DemoStudy {
    public static let name = "demo"
    public static let seed: UInt64 = 2026
    public static let annotators = ["demo", "alice", "bob"]
    public static let repeats = 2

    public struct Question: Sendable {
        public var id: String
        public var turns: [String]
        public var gold: String
        public var base: [String]
        public var tuned: [String]
    }

    public static let questions: [Question] = [
        Question(
            id: "cs01", turns: ["I forgot my password. How do I get back into my account?"],
            gold: "Go to the sign-in page, choose \"Forgot password?\", enter the account email, and follow the link in the email (valid for 30 minutes) to set a new password. If no email arrives within 10 minutes, check the spam folder or contact support.",
            base: ["You can reset your password. Please contact support and they will reset it for you within 5-7 business days."],
            tuned: ["No problem. On the sign-in page, tap \"Forgot password?\" and enter the email on your account. We'll send a reset link that works for 30 minutes; open it and choose a new password.\n\nNo email after 10 minutes? Check your spam folder, then write to us and we'll help."]),
        Question(
            id: "cs02", turns: ["How do I turn on two-factor authentication?"],
            gold: "Settings > Security > Two-factor authentication > Turn on. Scan the QR code with an authenticator app, enter the 6-digit code, and save the 10 backup codes somewhere safe.",
            base: ["Two-factor authentication adds a second step to signing in. It is a good security practice and is recommended by experts. Many apps support it."],
            tuned: ["1. Open Settings > Security.\n2. Choose \"Two-factor authentication\" and tap Turn on.\n3. Scan the QR code with an authenticator app (any TOTP app works).\n4. Type the 6-digit code it shows.\n5. Save your 10 backup codes somewhere safe: they get you in if you lose your phone."]),
        Question(
            id: "cs03", turns: ["I lost my phone and can't get my 2FA codes. What now?"],
            gold: "Sign in with one of the backup codes saved when 2FA was turned on, then set up 2FA again on the new phone. Without backup codes, use \"Can't access your codes?\" on the sign-in page to start identity verification, which takes 1-3 business days.",
            base: ["Use one of your backup codes to sign in. After that, set up two-factor authentication again on your new phone. If you have no backup codes, choose \"Can't access your codes?\" and we'll verify your identity, usually within 1-3 business days."],
            tuned: ["Sorry about your phone! Use a backup code to sign in, then re-enable 2FA on your new device."]),
        Question(
            id: "cs04", turns: ["Can I change the email address on my account?"],
            gold: "Yes: Settings > Account > Email > Change. Enter the new address and confirm it from the link sent there; the old address gets a notice and can cancel the change within 48 hours.",
            base: ["Yes. Go to Settings > Account > Email and tap Change. We send a confirmation link to the new address. For safety, your old address is told about the change and can cancel it within 48 hours."],
            tuned: ["Yes! Go to Settings > Account > Email > Change, type the new address, and confirm it from the email we send. Your old address gets a heads-up and can undo the change for 48 hours, in case it wasn't you."]),
        Question(
            id: "cs05", turns: ["Why was I logged out on all my devices?"],
            gold: "Sessions on every device end after a password change, after turning 2FA on or off, or when a security check detects a suspicious sign-in. Sign in again; if none of these applies, change the password and review Settings > Security > Recent activity.",
            base: ["This may be due to a bug. Try reinstalling the app."],
            tuned: ["That happens when the password is changed, when two-factor authentication is switched on or off, or when we see a sign-in that looks suspicious. Just sign in again.\n\nIf you didn't do any of those, change your password now and check Settings > Security > Recent activity for devices you don't recognise."]),
        Question(
            id: "cs06", turns: ["How do I delete my account?"],
            gold: "Settings > Account > Delete account. Export notes first if needed. Deletion is scheduled for 14 days later and can be cancelled by signing in during that time; after that all data is removed permanently.",
            base: ["Go to Settings > Account > Delete account. Your account is deleted after 14 days; signing in before then cancels it. Export your notes first (Settings > Export) if you want to keep them."],
            tuned: ["We're sorry to see you go. You can delete your account under Settings > Account > Delete account. It will be deleted immediately and cannot be recovered."]),
        Question(
            id: "cs07", turns: ["The password reset email never arrives.", "I checked spam too. Still nothing."],
            gold: "Check the address is the one on the account, look in spam and promotions folders, and allow 10 minutes. If it still does not arrive, the provider may be blocking it: add no-reply@northwind.example to contacts and request again, or contact support to verify ownership another way.",
            base: ["Please wait a few minutes and check your spam folder.", "Please wait a few more minutes and check your spam folder again."],
            tuned: ["Sorry about that. First make sure you typed the email that's on your account, then give it up to 10 minutes and check the spam and promotions folders.", "Thanks for checking. Your email provider may be blocking us: add no-reply@northwind.example to your contacts and request the reset again. If it still doesn't come, reply here and we'll verify your account another way."]),
        Question(
            id: "cs08", turns: ["Is it safe to sign in with Google?"],
            gold: "Yes. Signing in with Google uses Google's own sign-in page; Northwind never sees the Google password. Access can be removed at any time from the Google account's security settings.",
            base: ["Yes. You sign in on Google's own page, so we never see your Google password. You can remove our access whenever you like from your Google account's security settings."],
            tuned: ["Yes, it's safe: you sign in on Google's page and we never see your Google password. You can revoke access anytime in your Google account's security settings."]),
        Question(
            id: "cs09", turns: ["My account is locked after too many attempts. How long do I wait?"],
            gold: "After 5 failed attempts the account locks for 15 minutes. Wait, then try again, or reset the password right away with \"Forgot password?\", which also unlocks it.",
            base: ["Your account will be locked for 24 hours for security reasons."],
            tuned: ["After 5 wrong tries we lock the account for 15 minutes. You can wait, or unlock it right now by resetting your password with \"Forgot password?\"."]),
        Question(
            id: "cs10", turns: ["Can two people share one account?"],
            gold: "No: each account is for one person, and sharing breaks the terms. Use a shared notebook instead: each person keeps their own account and both can edit the notebook.",
            base: ["Sharing accounts is not allowed by our terms, since each account is personal. A shared notebook does what you need: each of you keeps your own account and you both edit it."],
            tuned: ["Accounts are one per person, but you don't need to share one! Create a shared notebook and invite the other person; you'll both be able to edit it from your own accounts."]),
        Question(
            id: "cs11", turns: ["I got an email saying someone signed in from another country. Was I hacked?"],
            gold: "Not necessarily (VPNs and travel cause this), but treat it as a possible breach: change the password, turn on 2FA, and sign out other sessions in Settings > Security > Recent activity. Do not click links in emails that ask for the password.",
            base: ["Yes, you were hacked. Your data has been stolen."],
            tuned: ["Maybe not: a VPN or travel can make a sign-in look foreign. To be safe:\n- change your password,\n- turn on two-factor authentication,\n- open Settings > Security > Recent activity and sign out any device you don't know.\n\nAnd never enter your password from a link in an email."]),
        Question(
            id: "cs12", turns: ["How do I change my username?"],
            gold: "Settings > Profile > Username. Usernames can be changed once every 30 days and must be 3-20 letters, digits or underscores.",
            base: ["Open Settings > Profile > Username. You can change it once every 30 days; it must be 3 to 20 characters of letters, digits or underscores."],
            tuned: ["Go to Settings > Profile > Username and type the new one. Note: you can change it once every 30 days, and it must be 3-20 characters (letters, digits, underscores)."]),
        Question(
            id: "cs13", turns: ["I signed up twice by mistake. Can you merge my accounts?"],
            gold: "Accounts cannot be merged. Export the notes from the account to drop (Settings > Export), import them into the one to keep (Settings > Import), then delete the extra account.",
            base: ["Yes, we can merge them. Send us both email addresses and we'll combine the accounts."],
            tuned: ["We can't merge accounts, but you can move everything in two minutes:\n1. In the account you'll drop: Settings > Export.\n2. In the one you'll keep: Settings > Import and pick the file.\n3. Then delete the extra account (Settings > Account > Delete account)."]),
        Question(
            id: "cs14", turns: ["Why do I have to verify my email?"],
            gold: "Verification proves the address belongs to the user, so password resets and security alerts reach them. Unverified accounts cannot reset a forgotten password or turn on 2FA.",
            base: ["Email verification is a common practice that many websites use."],
            tuned: ["It confirms the address is really yours, so password resets and security alerts reach you. Until it's verified you can't reset a forgotten password or turn on two-factor authentication."]),
        Question(
            id: "cs15", turns: ["The app says \"session expired\" every few minutes."],
            gold: "Usually the device clock is wrong, or browser cookies are blocked. Set the date and time to automatic, allow cookies for the site, and sign in again. If it continues, sign out everywhere and update the app.",
            base: ["Set your device's date and time to automatic, allow cookies for our site, and sign in again. If it keeps happening, update the app and sign out of all devices once."],
            tuned: ["That's annoying, sorry! It's usually a device clock that's off or blocked cookies. Turn on automatic date and time, allow cookies for northwind.example, then sign in again. Still happening? Update the app and use \"Sign out everywhere\"."]),
        Question(
            id: "cs16", turns: ["Do you store my password in plain text?"],
            gold: "No. Passwords are stored only as salted hashes (Argon2id); nobody at Northwind can read them, which is why support can reset a password but never tell it.",
            base: ["No. We keep only a salted hash of it (Argon2id), never the password itself. That's why support can reset your password but can never tell you what it was."],
            tuned: ["No, never. We only keep a salted Argon2id hash, so nobody here can see your password: we can reset it, but not read it."]),
        Question(
            id: "cs17", turns: ["How can I see which devices are signed in to my account?"],
            gold: "Settings > Security > Recent activity lists every signed-in device with place and time; \"Sign out\" ends one session and \"Sign out everywhere\" ends all others.",
            base: ["You can see your devices in the app."],
            tuned: ["Open Settings > Security > Recent activity. You'll see each signed-in device with its location and last use. Tap \"Sign out\" next to one to end it, or \"Sign out everywhere\" to end all the others."]),
        Question(
            id: "cs18", turns: ["Je n'arrive pas à me connecter : le code de vérification est refusé."],
            gold: "(French) The 6-digit code is refused most often because the phone clock is off: set it to automatic time and use the newest code. Each code lasts 30 seconds. Backup codes also work.",
            base: ["Vérifiez que l'heure de votre téléphone est réglée automatiquement, puis saisissez le code le plus récent : chaque code n'est valable que 30 secondes. Vous pouvez aussi utiliser un code de secours."],
            tuned: ["Please make sure the time on your phone is set automatically and enter the latest code; each one is valid for 30 seconds. You can also use a backup code."]),
        Question(
            id: "cs19", turns: ["What are the password rules?"],
            gold: "At least 12 characters; no forced mix of symbols; it may not be one found in known breaches or contain the email address. A passphrase of several words is recommended.",
            base: ["Passwords must be 8 characters with an uppercase letter, a number and a symbol, and must be changed every 90 days."],
            tuned: ["Your password needs at least 12 characters. You don't need special symbols, but it can't contain your email or be a password known from data breaches. Tip: a few random words make a strong, memorable passphrase."]),
        Question(
            id: "cs20", turns: ["I no longer have access to the email on my account. How do I recover it?"],
            gold: "Sign in with the password (if known) and change the email in Settings > Account. Without the password, use the account recovery form: it asks for details only the owner knows (recent notes, sign-up date, payment receipt) and takes 1-3 business days.",
            base: ["If you still know your password, sign in and change the email under Settings > Account > Email. If not, fill in the account recovery form; we'll ask for details only you would know, such as recent note titles or a payment receipt, and reply within 1-3 business days."],
            tuned: ["If you still know your password, just sign in and update your email in Settings > Account > Email. Otherwise, send us a message and we'll get you sorted!"]),
    ]

    /// The demo's comparisons, ready to blind.
    public static func pairs() -> [CandidatePair] {
        questions.map { q in
            CandidatePair(
                sourceID: q.id, prompt: q.turns.map(ChatMessage.user), reference: [q.gold],
                first: ModelResponse(model: "base", turns: q.base), second: ModelResponse(model: "tuned", turns: q.tuned))
        }
    }

    /// Creates `sessions/demo` and its key, unless the study is already there. Returns whether it was created.
    @discardableResult
    public static func ensure(store: StudyStore, keyFile: URL? = nil) throws -> Bool {
        if store.exists { return false }
        let built = try StudyBuilder.build(
            pairs: pairs(), models: ["base", "tuned"],
            options: StudyOptions(name: store.name, seed: seed, annotators: annotators, repeats: repeats))
        try store.create(built, keyFile: keyFile ?? store.defaultKeyFile, force: false)
        return true
    }
}
