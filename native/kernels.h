/* The addon's entry points, one family per file; addon.c exports them under the names in its table. */
#ifndef SSGAN_KERNELS_H
#define SSGAN_KERNELS_H
#include <node_api.h>

#define SSGAN_ENTRY(name) napi_value name(napi_env env, napi_callback_info info)

/* matmul.c */
SSGAN_ENTRY(sgemm_batched);
/* conv.c */
SSGAN_ENTRY(conv);
SSGAN_ENTRY(conv_engine);
SSGAN_ENTRY(onednn_info);
void conv_set_threads(int n);
/* random.c */
SSGAN_ENTRY(fill_normal);
SSGAN_ENTRY(add_normal);
SSGAN_ENTRY(dropout);
/* optim.c */
SSGAN_ENTRY(adam);
SSGAN_ENTRY(ema);
/* elementwise.c */
SSGAN_ENTRY(leaky);
SSGAN_ENTRY(leaky_grad);
SSGAN_ENTRY(softplus);
SSGAN_ENTRY(sum_leading);
/* wn_dense.c */
SSGAN_ENTRY(wn_dense_core);
SSGAN_ENTRY(wn_dense_core_grad_v);
SSGAN_ENTRY(wn_dense_act);
SSGAN_ENTRY(wn_dense_act_back);
#endif
