{
  "targets": [
    {
      "target_name": "ssgan_blas",
      "sources": ["ssgan_blas.c"],
      "cflags": ["-O3", "-ffp-contract=off"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["SSGAN_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"]
        }],
        ["OS!='mac'", {
          "libraries": ["-lopenblas", "-lm"]
        }]
      ]
    }
  ]
}
