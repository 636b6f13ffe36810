/// The built-in leak terms, in the `--leak-terms` file format (see ``LeakTerm/parse(_:file:)``), compiled into
/// the program so that a copied binary needs no data files.
///
/// `model:` terms are names that are never ordinary words: flagged wherever they appear and replaced by
/// `--redact`. `vendor:` terms are company and family names that are also ordinary words ("Google Maps",
/// "the phi coefficient"): flagged only where the text speaks of itself ("I am", "developed by", "as a ...
/// model") and never redacted.
enum LeakTermList {
    static let builtIn = """
        # model and product names
        model: GPT
        model: ChatGPT
        model: OpenAI
        model: InstructGPT
        model: Claude
        model: Anthropic
        model: LLaMA
        model: Vicuna
        model: Gemini
        model: Gemma
        model: Mistral
        model: Mixtral
        model: Codestral
        model: Qwen
        model: Tongyi Qianwen
        model: DeepSeek
        model: Grok
        model: Nemotron
        model: Megatron
        model: PaLM
        model: Copilot
        model: WizardLM
        model: Baichuan
        model: ChatGLM
        model: InternLM
        model: StableLM
        model: Pythia
        model: OLMo
        model: Jamba
        model: AI21
        model: Mosaic ML
        model: MosaicML
        model: Starling
        model: OpenChat
        model: OpenHermes
        model: Nous Hermes
        model: Phi-1
        model: Phi-2
        model: Phi-3
        model: Phi-3.5
        model: Phi-4
        model: Open AI
        model: Deep Seek
        model: Chat GPT
        model: ClaudeAI
        model: 通义千问
        model: 千问
        model: 文心一言
        model: 文心大模型
        model: 智谱清言
        model: 讯飞星火
        model: 豆包
        model: 混元
        model: 深度求索
        model: 月之暗面
        model: 百川
        model: クロード
        model: チャットGPT
        model: ジェミニ
        model: as an AI language model trained by
        model: large language model trained by
        # vendors and families that are also ordinary words
        vendor: Alpaca
        vendor: Bard
        vendor: Falcon
        vendor: Google
        vendor: DeepMind
        vendor: Meta
        vendor: Meta AI
        vendor: Facebook
        vendor: Microsoft
        vendor: Phi
        vendor: Cohere
        vendor: Command R
        vendor: Aya
        vendor: xAI
        vendor: Nvidia
        vendor: Yi
        vendor: 01.AI
        vendor: Zephyr
        vendor: Orca
        vendor: Koala
        vendor: Dolly
        vendor: Databricks
        vendor: BLOOM
        vendor: Hugging Face
        vendor: HuggingFace
        vendor: Amazon
        vendor: Titan
        vendor: Ernie
        vendor: Baidu
        vendor: Alibaba
        vendor: Tencent
        vendor: Hunyuan
        vendor: Moonshot
        vendor: Kimi
        vendor: Zhipu
        vendor: GLM
        vendor: Reka
        vendor: Inflection
        vendor: Perplexity
        vendor: Apple
        vendor: IBM
        vendor: Granite
        vendor: Allen Institute
        vendor: AI2
        vendor: Tulu
        vendor: Upstage
        vendor: Solar
        vendor: Stability AI
        vendor: Salesforce
        vendor: Snowflake
        vendor: Arctic
        """
}
